namespace CloudArchive.Deidentification;

/// <summary>
/// A validated de-identification profile: the options, the date-shift range, overrides, the safe private list and
/// the pixel policy. Build one with <see cref="DeidProfileLoader"/> (from JSON) or <see cref="Create"/>.
/// </summary>
public sealed class DeidSettings
{
    /// <summary>The default date-shift range: between 10 years and 1 year into the past.</summary>
    public const int DefaultMinShiftDays = -3650;

    /// <summary>Upper bound of the default range.</summary>
    public const int DefaultMaxShiftDays = -365;

    private DeidSettings(
        string name,
        IReadOnlySet<DeidOption> options,
        int minShiftDays,
        int maxShiftDays,
        IReadOnlyList<AttributeOverride> overrides,
        SafePrivateList safePrivate,
        PixelPolicy pixel)
    {
        Name = name;
        Options = options;
        MinShiftDays = minShiftDays;
        MaxShiftDays = maxShiftDays;
        Overrides = overrides;
        SafePrivate = safePrivate;
        Pixel = pixel;
    }

    /// <summary>The profile name, recorded in reports and in (0012,0063).</summary>
    public string Name { get; }

    /// <summary>The enabled options.</summary>
    public IReadOnlySet<DeidOption> Options { get; }

    /// <summary>Lowest per-patient date offset in days (Retain Longitudinal Modified Dates).</summary>
    public int MinShiftDays { get; }

    /// <summary>Highest per-patient date offset in days.</summary>
    public int MaxShiftDays { get; }

    /// <summary>Overrides, tried in order before the table.</summary>
    public IReadOnlyList<AttributeOverride> Overrides { get; }

    /// <summary>Private attributes kept under Retain Safe Private.</summary>
    public SafePrivateList SafePrivate { get; }

    /// <summary>The burned-in text policy.</summary>
    public PixelPolicy Pixel { get; }

    /// <summary>The Basic Profile with no option, the default pixel policy and the shipped safe private list.</summary>
    public static DeidSettings Basic { get; } = Create("basic", []);

    /// <summary>Creates validated settings.</summary>
    /// <exception cref="DeidConfigurationException">Conflicting options or an invalid date range.</exception>
    public static DeidSettings Create(
        string name,
        IEnumerable<DeidOption> options,
        int minShiftDays = DefaultMinShiftDays,
        int maxShiftDays = DefaultMaxShiftDays,
        IReadOnlyList<AttributeOverride>? overrides = null,
        SafePrivateList? safePrivate = null,
        PixelPolicy? pixel = null)
    {
        var set = new HashSet<DeidOption>(options);
        if (set.Contains(DeidOption.RetainLongitudinalFullDates) && set.Contains(DeidOption.RetainLongitudinalModifiedDates))
        {
            throw new DeidConfigurationException("options", "retainLongitudinalFullDates and retainLongitudinalModifiedDates are mutually exclusive");
        }

        if (minShiftDays > maxShiftDays)
        {
            throw new DeidConfigurationException("dateShift", "minDays must not be greater than maxDays");
        }

        if (minShiftDays == 0 && maxShiftDays == 0)
        {
            throw new DeidConfigurationException("dateShift", "the range must contain a non-zero offset");
        }

        if (Math.Abs((long)minShiftDays) > 36500 || Math.Abs((long)maxShiftDays) > 36500)
        {
            throw new DeidConfigurationException("dateShift", "offsets are limited to 100 years (36500 days)");
        }

        return new DeidSettings(name, set, minShiftDays, maxShiftDays, overrides ?? [], safePrivate ?? SafePrivateList.Standard, pixel ?? PixelPolicy.Default);
    }
}
