using System.Text;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>Client-side checks of names, metadata and tags, so a bad value is a clear <see cref="ArgumentException"/> before any request.</summary>
internal static class BlobNames
{
    public static void ValidateContainerName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ok = name.Length is >= 3 and <= 63 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
        for (var i = 0; ok && i < name.Length; i++)
        {
            var c = name[i];
            ok = char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || (c == '-' && name[i - 1] != '-');
        }

        if (!ok && name != "$root" && name != "$logs")
        {
            throw new ArgumentException("A container or queue name must be 3-63 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit.", nameof(name));
        }
    }

    public static void ValidateBlobName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 1024 || name.EndsWith('.') || name.EndsWith('/') || name.Any(char.IsControl))
        {
            throw new ArgumentException("A blob name must be 1-1024 characters without control characters and must not end with '.' or '/'.", nameof(name));
        }

        // URIs collapse "." and ".." segments, so "a/../b" would silently address blob "b".
        if (name.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new ArgumentException("A blob name must not contain '.' or '..' path segments.", nameof(name));
        }
    }

    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        var total = 0;
        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_') || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException("Metadata names must be C# identifiers (ASCII letters, digits, '_', not starting with a digit).", nameof(metadata));
            }

            if (value.Any(c => c > 0x7E || (c < 0x20 && c != '\t')) || value != value.Trim())
            {
                throw new ArgumentException($"Metadata value of '{key}' must be printable ASCII without leading or trailing spaces.", nameof(metadata));
            }

            total += key.Length + value.Length;
        }

        if (total > 8 * 1024)
        {
            throw new ArgumentException("Metadata names and values together must not exceed 8 KiB.", nameof(metadata));
        }
    }

    public static void ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > 10)
        {
            throw new ArgumentException("A blob can have at most 10 index tags.", nameof(tags));
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128 || !key.All(IsTagChar) || value.Length > 256 || !value.All(IsTagChar))
            {
                throw new ArgumentException("Tag keys must be 1-128 and values 0-256 characters of letters, digits, space and + - . / : = _.", nameof(tags));
            }
        }
    }

    /// <summary>The <c>x-ms-tags</c> header form: <c>k1=v1&amp;k2=v2</c>, URL-encoded.</summary>
    public static string TagHeader(IReadOnlyDictionary<string, string> tags)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in tags)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    private static bool IsTagChar(char c) => char.IsAsciiLetterOrDigit(c) || c is ' ' or '+' or '-' or '.' or '/' or ':' or '=' or '_';
}
