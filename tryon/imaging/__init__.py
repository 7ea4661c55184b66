"""Image tools every stage uses: decoding and limits, image files, working resolution,
product cut-out, geometry and thin-plate splines. No knowledge of bodies or kinds."""
