"""Evaluation data sets and the generators that build some of them."""
