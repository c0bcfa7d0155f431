"""Composition: the model turned into the document tree through templates."""
