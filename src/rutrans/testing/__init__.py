"""Test and benchmark support that ships with rutrans: the stand-in model builder and the
offline patch for argostranslate's own translation path.  Nothing here is used by the
product's own commands."""
