using System.Globalization;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Audit blob names: <c>log/{yyyy}/{MM}/{dd}/{HH}/{writerId}.jsonl</c> (UTC hour of the lines inside).
/// </summary>
public static class AuditBlobName
{
    /// <summary>The prefix of every audit log blob.</summary>
    public const string Root = "log/";

    /// <summary>The longest writer id.</summary>
    public const int MaxWriterIdLength = 100;

    /// <summary>True when <paramref name="writerId"/> is a valid writer id (lowercase letters, digits, '-'; at most 100).</summary>
    public static bool IsValidWriterId(string? writerId) => writerId is not null && AuditFieldRules.WriterId().IsMatch(writerId);

    /// <summary>
    /// Derives a valid writer id from a host identifier such as <c>WEBSITE_INSTANCE_ID</c> or a machine name
    /// plus process id: lowercased, every other character replaced by '-', and when that changed or
    /// shortened the text, a short hash of the original appended so that distinct identifiers stay distinct.
    /// </summary>
    public static string WriterIdFrom(string identifier)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);
        if (IsValidWriterId(identifier))
        {
            return identifier;
        }

        var cleaned = new string(identifier.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-').ToArray()).Trim('-');
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identifier)))[..8];
        var room = MaxWriterIdLength - hash.Length - 1;
        if (cleaned.Length > room)
        {
            cleaned = cleaned[..room].TrimEnd('-');
        }

        return cleaned.Length == 0 ? hash : $"{cleaned}-{hash}";
    }

    /// <summary>The blob a writer appends to for the hour containing <paramref name="time"/>.</summary>
    public static string For(DateTimeOffset time, string writerId)
    {
        if (!IsValidWriterId(writerId))
        {
            throw new ArgumentException("A writer id is lowercase letters, digits and '-' (at most 100 characters).", nameof(writerId));
        }

        var utc = time.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{Root}{utc:yyyy'/'MM'/'dd'/'HH}/{writerId}.jsonl");
    }

    /// <summary>Parses a blob name into its hour (UTC) and writer id.</summary>
    public static bool TryParse(string name, out DateTimeOffset hour, out string writerId)
    {
        hour = default;
        writerId = string.Empty;
        if (name is null || !name.StartsWith(Root, StringComparison.Ordinal) || !name.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = name[Root.Length..^".jsonl".Length].Split('/');
        if (parts.Length != 5 || parts[0].Length != 4 || parts[1].Length != 2 || parts[2].Length != 2 || parts[3].Length != 2
            || !DateTime.TryParseExact($"{parts[0]}-{parts[1]}-{parts[2]}T{parts[3]}", "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            || !IsValidWriterId(parts[4]))
        {
            return false;
        }

        hour = new DateTimeOffset(parsed, TimeSpan.Zero);
        writerId = parts[4];
        return true;
    }

    /// <summary>
    /// Listing prefixes that together cover every blob whose hour may overlap [from, to]: the whole log
    /// when unbounded, one prefix per day for ranges up to 62 days, one per month beyond.
    /// </summary>
    public static IReadOnlyList<string> PrefixesFor(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is null || to is null)
        {
            return [Root];
        }

        var start = from.Value.UtcDateTime.Date;
        var end = to.Value.UtcDateTime.Date;
        if (end < start)
        {
            return [];
        }

        var prefixes = new List<string>();
        if ((end - start).TotalDays <= 62)
        {
            for (var day = start; day <= end; day = day.AddDays(1))
            {
                prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"{Root}{day:yyyy'/'MM'/'dd}/"));
            }
        }
        else
        {
            for (var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= end; month = month.AddMonths(1))
            {
                prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"{Root}{month:yyyy'/'MM}/"));
            }
        }

        return prefixes;
    }
}
