"""The decision's legal life (Awb): terms and their dates (``terms``), and the lifecycle of voornemen, horen,
bekendmaking, bezwaar and beroep derived from a case's events (``lifecycle``). Plain Python, no Django."""
