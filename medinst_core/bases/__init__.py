"""Manifest bases shipped with the core, used as ``"extends": "medinst:<name>"``."""
