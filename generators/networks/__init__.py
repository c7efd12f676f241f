"""Figures for the lesson "Networks and forward propagation" (content/lessons/networks.md)."""
