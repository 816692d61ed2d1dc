"""Market concentration: long tables of shares, read and checked, and a simulated market."""
