"""Terminology post-editing: put the approved term where the MT put its own rendering.

:mod:`~rutrans.postedit.locate` finds, for each occurrence of a glossary term in a Russian
segment, the span of the MT output that renders it (cheapest way first);
:mod:`~rutrans.postedit.editor` replaces those spans with the approved English and
reports every occurrence's status.  Nothing outside a located span is ever edited (an
«a»/«an» right before a span counts as part of it).  It reads MT results, never an
engine: the MT may come from rutrans's engine or from anywhere else.
"""
