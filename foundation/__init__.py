"""The foundation every app may import: pure formulas, rounding, formatting, and period
and date maths. No models and no queries; it imports none of the product's apps."""
