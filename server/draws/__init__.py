"""The verifiable draw ceremony (suicha-draw/1) and its sealed records."""
