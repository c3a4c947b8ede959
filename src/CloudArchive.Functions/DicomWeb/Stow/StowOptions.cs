namespace CloudArchive.Functions.DicomWeb.Stow;

/// <summary>Limits of STOW-RS (section <c>CloudArchive:DicomWeb</c>).</summary>
public sealed class StowOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:DicomWeb";

    /// <summary>Largest request body in bytes, enforced while it streams (default 16 GiB); larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 16L << 30;

    /// <summary>Largest part body in bytes (default 4 GiB, the ingest's own instance limit); a larger part gets 413.</summary>
    public long MaxPartBytes { get; set; } = 4L << 30;

    /// <summary>Validates the values; returns the problems (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxRequestBytes < 1)
        {
            problems.Add($"{Section}:MaxRequestBytes must be a positive number of bytes.");
        }

        if (MaxPartBytes < 1 || MaxPartBytes > MaxRequestBytes)
        {
            problems.Add($"{Section}:MaxPartBytes must be a positive number of bytes, at most MaxRequestBytes.");
        }

        return problems;
    }
}
