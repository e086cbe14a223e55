"""Channel providers behind one contract: verify, parse, send, fetch media."""
