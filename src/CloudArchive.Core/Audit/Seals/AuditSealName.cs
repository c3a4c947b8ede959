using System.Globalization;

namespace CloudArchive.Core.Audit.Seals;

/// <summary>Seal names in the seals container: <c>{yyyy}/{MM}/{dd}/{HH}.json</c> (the sealed UTC hour), so listing is in hour order.</summary>
public static class AuditSealName
{
    /// <summary>The name of the seal of <paramref name="hour"/>.</summary>
    public static string For(DateTimeOffset hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyy'/'MM'/'dd'/'HH}.json");

    /// <summary>Parses a seal name into its hour.</summary>
    public static bool TryParse(string? name, out DateTimeOffset hour)
    {
        hour = default;
        if (name is null || name.Length != "yyyy/MM/dd/HH.json".Length || !name.EndsWith(".json", StringComparison.Ordinal)
            || !DateTime.TryParseExact(name[..^5], "yyyy'/'MM'/'dd'/'HH", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        hour = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>The whole UTC hour containing <paramref name="time"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The log blob prefix of an hour: <c>log/{yyyy}/{MM}/{dd}/{HH}/</c>.</summary>
    public static string LogPrefix(DateTimeOffset hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{AuditBlobName.Root}{hour.UtcDateTime:yyyy'/'MM'/'dd'/'HH}/");
}
