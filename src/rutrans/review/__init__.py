"""Views of a result for a reviewer: the review PO, the HTML page and the terminal."""
