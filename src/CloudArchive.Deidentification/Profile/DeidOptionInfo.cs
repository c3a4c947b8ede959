namespace CloudArchive.Deidentification;

/// <summary>
/// The names and codes of each <see cref="DeidOption"/>: the Table E.1-1 column key used by
/// <c>confidentiality_profile.json</c> (also the name used in profiles and on the command line) and the
/// CID 7050 "De-identification Method" code (scheme DCM) written to (0012,0064).
/// </summary>
public static class DeidOptionInfo
{
    /// <summary>CID 7050 code of the Basic Application Confidentiality Profile.</summary>
    public const string BasicProfileCode = "113100";

    /// <summary>Code meaning of <see cref="BasicProfileCode"/>.</summary>
    public const string BasicProfileMeaning = "Basic Application Confidentiality Profile";

    /// <summary>CID 7050 code of the Clean Pixel Data Option, claimed when a pixel rule blanked regions.</summary>
    public const string CleanPixelDataCode = "113101";

    /// <summary>Code meaning of <see cref="CleanPixelDataCode"/>.</summary>
    public const string CleanPixelDataMeaning = "Clean Pixel Data Option";

    private static readonly (DeidOption Option, string Key, string Code, string Meaning)[] Table =
    [
        (DeidOption.RetainSafePrivate, "retainSafePrivate", "113111", "Retain Safe Private Option"),
        (DeidOption.RetainUids, "retainUIDs", "113110", "Retain UIDs Option"),
        (DeidOption.RetainDeviceIdentity, "retainDeviceIdentity", "113109", "Retain Device Identity Option"),
        (DeidOption.RetainInstitutionIdentity, "retainInstitutionIdentity", "113112", "Retain Institution Identity Option"),
        (DeidOption.RetainPatientCharacteristics, "retainPatientCharacteristics", "113108", "Retain Patient Characteristics Option"),
        (DeidOption.RetainLongitudinalFullDates, "retainLongitudinalFullDates", "113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        (DeidOption.RetainLongitudinalModifiedDates, "retainLongitudinalModifiedDates", "113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
        (DeidOption.CleanDescriptors, "cleanDescriptors", "113105", "Clean Descriptors Option"),
        (DeidOption.CleanStructuredContent, "cleanStructuredContent", "113104", "Clean Structured Content Option"),
        (DeidOption.CleanGraphics, "cleanGraphics", "113103", "Clean Graphics Option"),
    ];

    // Normalized column key and enum name -> option: parsing runs for every option cell of Table E.1-1 at start-up.
    private static readonly Dictionary<string, DeidOption> ByNormalizedName = BuildNames();

    /// <summary>Every option in a fixed order.</summary>
    public static IReadOnlyList<DeidOption> All { get; } = Table.Select(t => t.Option).ToArray();

    /// <summary>The Table E.1-1 column key, e.g. <c>retainUIDs</c>.</summary>
    public static string Key(DeidOption option) => Row(option).Key;

    /// <summary>The CID 7050 code value (scheme DCM).</summary>
    public static string Code(DeidOption option) => Row(option).Code;

    /// <summary>The CID 7050 code meaning.</summary>
    public static string Meaning(DeidOption option) => Row(option).Meaning;

    /// <summary>Finds an option by its column key or enum name, ignoring case and dashes/underscores.</summary>
    public static bool TryParse(string? text, out DeidOption option)
    {
        option = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return ByNormalizedName.TryGetValue(Normalize(text), out option);
    }

    private static Dictionary<string, DeidOption> BuildNames()
    {
        var names = new Dictionary<string, DeidOption>(StringComparer.Ordinal);
        foreach (var row in Table)
        {
            names.TryAdd(Normalize(row.Key), row.Option);
            names.TryAdd(Normalize(row.Option.ToString()), row.Option);
        }

        return names;
    }

    private static string Normalize(string s)
    {
        var chars = new char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(chars, 0, n);
    }

    private static (DeidOption Option, string Key, string Code, string Meaning) Row(DeidOption option)
    {
        foreach (var row in Table)
        {
            if (row.Option == option)
            {
                return row;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(option));
    }
}
