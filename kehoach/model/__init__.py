"""Model: what a document says, validated; document types; schools resolved."""
