namespace CloudArchive.Deidentification;

/// <summary>A rectangle of pixels to blank, in image coordinates (column <see cref="X"/>, row <see cref="Y"/>, zero-based).</summary>
/// <param name="X">First column.</param>
/// <param name="Y">First row.</param>
/// <param name="Width">Number of columns.</param>
/// <param name="Height">Number of rows.</param>
public readonly record struct PixelRectangle(int X, int Y, int Width, int Height);
