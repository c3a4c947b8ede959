using System.Security.Cryptography;
using System.Text;
using CloudArchive.Deidentification;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Export;

/// <summary>
/// The de-identification an agreement prescribes, resolved into <see cref="DeidSettings"/>, plus the hash the ledger
/// records: profile document, options and software version. A change of any of them re-exports every study (with
/// the same research UIDs, which depend on the agreement's secret only).
/// </summary>
public sealed class ExportDeidentification
{
    private ExportDeidentification(DeidSettings settings, IReadOnlyList<string> options, string softwareVersion, string hash)
    {
        Settings = settings;
        SoftwareVersion = softwareVersion;
        OptionKeys = options;
        Hash = hash;
    }

    /// <summary>The validated settings.</summary>
    public DeidSettings Settings { get; }

    /// <summary>The options in effect (profile's and agreement's), as Table E.1-1 column keys in a fixed order.</summary>
    public IReadOnlyList<string> OptionKeys { get; }

    /// <summary>The software version hashed in.</summary>
    public string SoftwareVersion { get; }

    /// <summary>Lowercase hex SHA-256 over profile, options and the software release (version without build metadata).</summary>
    public string Hash { get; }

    /// <summary>Resolves an agreement's de-identification.</summary>
    /// <exception cref="DeidConfigurationException">The embedded profile or an option is invalid.</exception>
    public static ExportDeidentification Create(AgreementDeidentification deidentification, string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(deidentification);
        ArgumentNullException.ThrowIfNull(softwareVersion);
        var profileText = deidentification.Profile is { } profile ? profile.GetRawText() : null;
        var settings = AgreementDeidSettings.Build(deidentification);
        var options = DeidOptionInfo.All.Where(settings.Options.Contains).Select(DeidOptionInfo.Key).ToArray();

        var material = new StringBuilder()
            .Append("cloudarchive-export-settings/v1\n")
            .Append(deidentification.ProfileName).Append('\n')
            .Append(profileText ?? "(basic)").Append('\n')
            .Append(string.Join(',', options)).Append('\n')
            .Append(Release(softwareVersion));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material.ToString())));
        return new ExportDeidentification(settings, options, softwareVersion, hash);
    }

    // The informational version carries the commit (`0.1.0+<sha>`). A new release re-exports (its de-identifier may
    // differ); a rebuild or a deployment of an unrelated change must not rewrite every research copy of every agreement.
    private static string Release(string softwareVersion)
    {
        var plus = softwareVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? softwareVersion : softwareVersion[..plus];
    }
}
