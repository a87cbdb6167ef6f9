"""The data subject's rights under the AVG: inzageverzoeken (art. 15), rectification (art. 16) and the register of
the legal ground of each processing, per data category (art. 30 lid 1, art. 6, art. 9)."""
