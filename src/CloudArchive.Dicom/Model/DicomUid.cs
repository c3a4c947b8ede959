namespace CloudArchive.Dicom;

/// <summary>
/// The one UID syntax check (PS3.5 §9.1): at most 64 characters; components of ASCII digits separated by dots, each
/// non-empty and without a leading zero unless it is exactly <c>0</c>. A UID of a single component is accepted although
/// PS3.5 asks for an org root and a suffix: the ingest, research and DICOMweb checks this one replaced always accepted
/// it, and refusing it now would quarantine studies the archive has always taken.
/// </summary>
public static class DicomUid
{
    /// <summary>The maximum length of a UID.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="uid"/> is a valid UID exactly as given (no padding tolerated).</summary>
    public static bool IsValid(string? uid) => uid is not null && Problem(uid) is null;

    /// <summary>
    /// Removes trailing NUL/space padding (the only tolerated deviation) and validates the rest.
    /// </summary>
    /// <param name="raw">The value as stored.</param>
    /// <param name="uid">The UID without padding, when valid.</param>
    /// <param name="problem">What is wrong (never echoes the value), when invalid.</param>
    public static bool TryNormalize(string? raw, out string uid, out string problem)
    {
        var value = (raw ?? string.Empty).TrimEnd('\0', ' ');
        if (Problem(value) is { } found)
        {
            uid = string.Empty;
            problem = found;
            return false;
        }

        uid = value;
        problem = string.Empty;
        return true;
    }

    private static string? Problem(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"is {value.Length} characters long (at most {MaxLength} allowed)";
        }

        var component = 1;
        var componentStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0)
                {
                    return $"has an empty component {component}";
                }

                if (length > 1 && value[componentStart] == '0')
                {
                    return $"has a leading zero in component {component}";
                }

                component++;
                componentStart = i + 1;
                continue;
            }

            if (!char.IsAsciiDigit(value[i]))
            {
                return $"contains a character other than digits and dots at position {i + 1}";
            }
        }

        return null;
    }
}
