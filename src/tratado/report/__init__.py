"""Reports for people: terminal text and utility-space plots."""
