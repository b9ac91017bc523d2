"""What the demo data shows buyers: posters drawn here and descriptions in ru/kk/en."""
