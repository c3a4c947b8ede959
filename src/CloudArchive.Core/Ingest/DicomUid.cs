namespace CloudArchive.Core.Ingest;

/// <summary>Checks UIDs against PS3.5 §9.1: at most 64 characters, digits and dots, no empty component, no leading zero.</summary>
public static class DicomUid
{
    /// <summary>The maximum length of a UID.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Removes trailing NUL/space padding (the only tolerated deviation) and validates the rest.
    /// </summary>
    /// <param name="raw">The value as stored.</param>
    /// <param name="uid">The UID without padding, when valid.</param>
    /// <param name="problem">What is wrong (never echoes the value), when invalid.</param>
    public static bool TryNormalize(string? raw, out string uid, out string problem)
    {
        uid = string.Empty;
        var value = (raw ?? string.Empty).TrimEnd('\0', ' ');
        if (value.Length == 0)
        {
            problem = "is empty";
            return false;
        }

        if (value.Length > MaxLength)
        {
            problem = $"is {value.Length} characters long (at most {MaxLength} allowed)";
            return false;
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
                    problem = $"has an empty component {component}";
                    return false;
                }

                if (length > 1 && value[componentStart] == '0')
                {
                    problem = $"has a leading zero in component {component}";
                    return false;
                }

                component++;
                componentStart = i + 1;
                continue;
            }

            if (!char.IsAsciiDigit(value[i]))
            {
                problem = $"contains a character other than digits and dots at position {i + 1}";
                return false;
            }
        }

        uid = value;
        problem = string.Empty;
        return true;
    }
}
