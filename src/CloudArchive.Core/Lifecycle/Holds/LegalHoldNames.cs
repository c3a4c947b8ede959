using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>Hold ids and document names.</summary>
public static partial class LegalHoldNames
{
    /// <summary>Where hold documents live in the lifecycle store.</summary>
    public const string Prefix = "holds/";

    /// <summary>A new id: <c>hold-{yyyyMMdd}-{8 hex}</c>.</summary>
    public static string NewId(DateTimeOffset now) =>
        "hold-" + now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Whether <paramref name="id"/> has the shape of a hold id.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The hold id of a document name, or null.</summary>
    public static string? IdOf(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal) && IsValidId(name[Prefix.Length..^5]) ? name[Prefix.Length..^5] : null;

    [GeneratedRegex(@"\Ahold-[0-9]{8}-[0-9a-f]{8}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
