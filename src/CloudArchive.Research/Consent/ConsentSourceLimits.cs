using System.Globalization;

namespace CloudArchive.Research.Consent;

/// <summary>Bounds on what one import reads, so a wrong file (an image, a dump) fails fast instead of exhausting memory.</summary>
public static class ConsentSourceLimits
{
    /// <summary>Largest import file accepted.</summary>
    public const long MaxBytes = 128L * 1024 * 1024;

    /// <summary>Reads <paramref name="source"/> into memory up to <see cref="MaxBytes"/>.</summary>
    /// <exception cref="ConsentFormatException">The source is larger.</exception>
    internal static async Task<byte[]> ReadBoundedAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ConsentFormatException("file", string.Create(CultureInfo.InvariantCulture, $"is larger than {MaxBytes / (1024 * 1024)} MiB; split it"));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
