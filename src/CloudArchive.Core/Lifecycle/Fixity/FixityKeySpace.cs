namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// Splits the archive into 1,024 buckets by the first two characters of the study key. Study keys are HMAC outputs in
/// base32, so every bucket holds about 1/1,024 of the archive whatever it contains, and a bucket can be listed on its
/// own (a name prefix) without listing the rest.
/// </summary>
public static class FixityKeySpace
{
    /// <summary>The base32 alphabet of opaque keys in ordinal (listing) order.</summary>
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    /// <summary>The number of buckets (32 × 32).</summary>
    public const int BucketCount = 32 * 32;

    /// <summary>The study-key prefix of a bucket (<c>22</c> … <c>zz</c>, in listing order).</summary>
    public static string Prefix(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, BucketCount);
        return string.Concat(Alphabet[bucket / 32], Alphabet[bucket % 32]);
    }

    /// <summary>
    /// How many buckets a cycle should have verified after <paramref name="elapsed"/> of a <paramref name="period"/>,
    /// counting the run about to happen as covering the next <paramref name="interval"/> too, so the last run of a
    /// period finishes the cycle.
    /// </summary>
    public static int Target(TimeSpan elapsed, TimeSpan period, TimeSpan interval)
    {
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        var share = (elapsed + interval).Ticks / (double)period.Ticks;
        return share >= 1 ? BucketCount : Math.Clamp((int)Math.Ceiling(share * BucketCount), 1, BucketCount);
    }
}
