"""The staff workspace: the pages that gather one festival's films, awards and sessions."""
