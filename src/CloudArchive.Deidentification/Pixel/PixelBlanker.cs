namespace CloudArchive.Deidentification;

/// <summary>
/// Writes a copy of native Pixel Data with rectangles set to zero in every frame, streaming one line at a time, so
/// memory stays at one image row whatever the size of the instance.
/// </summary>
public static class PixelBlanker
{
    /// <summary>Checks that a geometry and its rectangles can be blanked; returns a reason when not.</summary>
    public static string? Validate(PixelGeometry g, IReadOnlyList<PixelRectangle> rectangles)
    {
        if (g.Rows <= 0 || g.Columns <= 0 || g.SamplesPerPixel <= 0 || g.Frames <= 0)
        {
            return "pixel geometry is incomplete (Rows, Columns, Samples per Pixel or Number of Frames)";
        }

        if (g.BitsAllocated <= 0 || g.BitsAllocated % 8 != 0)
        {
            return $"Bits Allocated {g.BitsAllocated} is not a multiple of 8; blanking is not supported";
        }

        foreach (var r in rectangles)
        {
            if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0 || r.X + r.Width > g.Columns || r.Y + r.Height > g.Rows)
            {
                return $"rectangle ({r.X},{r.Y},{r.Width},{r.Height}) lies outside the {g.Columns}x{g.Rows} image";
            }
        }

        return null;
    }

    /// <summary>Copies <paramref name="source"/> (native pixel bytes, <paramref name="length"/> long) to
    /// <paramref name="destination"/> with the rectangles zeroed.</summary>
    /// <exception cref="DeidentificationException">The value is shorter than the geometry requires.</exception>
    public static async Task CopyBlankedAsync(
        Stream source,
        Stream destination,
        long length,
        PixelGeometry g,
        IReadOnlyList<PixelRectangle> rectangles,
        CancellationToken cancellationToken)
    {
        var reason = Validate(g, rectangles);
        if (reason is not null)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, reason);
        }

        var bps = g.BitsAllocated / 8;
        var planar = g.PlanarConfiguration == 1 && g.SamplesPerPixel > 1;
        var pixelBytes = planar ? bps : bps * g.SamplesPerPixel;
        var lineBytes = g.Columns * pixelBytes;
        var linesPerFrame = g.Rows * (planar ? g.SamplesPerPixel : 1);
        var needed = g.FrameBytes * g.Frames;
        if (length < needed)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, $"Pixel Data holds {length} bytes but the geometry needs {needed}");
        }

        var line = new byte[lineBytes];
        for (var f = 0; f < g.Frames; f++)
        {
            for (var l = 0; l < linesPerFrame; l++)
            {
                await source.ReadExactlyAsync(line, cancellationToken).ConfigureAwait(false);
                var row = l % g.Rows;
                foreach (var r in rectangles)
                {
                    if (row >= r.Y && row < r.Y + r.Height)
                    {
                        Array.Clear(line, r.X * pixelBytes, r.Width * pixelBytes);
                    }
                }

                await destination.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }

        // Trailing padding (odd-length values) is copied through unchanged.
        var rest = length - needed;
        var buffer = new byte[81920];
        while (rest > 0)
        {
            var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, rest)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new DeidentificationException(DeidFailure.PixelDataUnsupported, "Pixel Data ended early");
            }

            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            rest -= n;
        }
    }
}
