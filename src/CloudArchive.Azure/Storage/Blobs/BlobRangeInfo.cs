using System.Globalization;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>Facts about a whole blob read from the answer to a (possibly ranged) download.</summary>
public static class BlobRangeInfo
{
    /// <summary>The blob's whole length: from <c>Content-Range</c> (<c>bytes 0-4194303/9437918</c>) of a ranged answer, else the body's length.</summary>
    public static long TotalLength(BlobDownloadDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var range = details.ContentRange;
        var slash = range?.LastIndexOf('/') ?? -1;
        return slash > 0 && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : details.ContentLength;
    }
}
