using System.Globalization;
using System.Text;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>
/// Reads consents from CSV (RFC 4180: comma-separated, fields optionally in double quotes with <c>""</c> for a quote,
/// line breaks allowed inside quotes, CRLF or LF). A header row is required; columns are documented in
/// docs/research.md ("Consents"). A bad row is reported by its line number and field name and never by its values; the
/// other rows are still read.
/// </summary>
public static class ConsentCsvReader
{
    /// <summary>Every column name accepted (case-insensitive), in documentation order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "patient_id", "issuer", "status", "period_start", "period_end", "data_from", "data_to", "purposes", "actors",
        "deny_modalities", "deny_body_parts", "consent_id",
    ];

    /// <summary>Longest Patient ID and issuer accepted (DICOM LO).</summary>
    public const int MaxIdLength = 64;

    /// <summary>Most rows one file may hold.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Reads a whole CSV source.</summary>
    /// <exception cref="ConsentFormatException">The header is missing or unusable, or a quoted field never ends.</exception>
    public static async Task<ConsentSourceReadResult> ReadAsync(Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var bytes = await ConsentSourceLimits.ReadBoundedAsync(csv, cancellationToken).ConfigureAwait(false);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ConsentFormatException("file", "is not valid UTF-8");
        }

        return Read(text);
    }

    /// <summary>Reads CSV text.</summary>
    /// <exception cref="ConsentFormatException">The header is missing or unusable, or a quoted field never ends.</exception>
    public static ConsentSourceReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = Tokenize(text);
        if (records.Count == 0)
        {
            throw new ConsentFormatException("line 1", "a header row is required (columns: " + string.Join(",", Columns) + ")");
        }

        var header = records[0];
        if (header.Error is not null)
        {
            throw new ConsentFormatException($"line {header.Line}", header.Error);
        }

        var index = ReadHeader(header);
        var rows = new List<ConsentImportRow>();
        var errors = new List<ConsentImportError>();
        foreach (var record in records.Skip(1))
        {
            var location = string.Create(CultureInfo.InvariantCulture, $"line {record.Line}");
            if (record.Error is not null)
            {
                errors.Add(new ConsentImportError(location, record.Error));
                continue;
            }

            if (record.Fields.Count != index.Count)
            {
                errors.Add(new ConsentImportError(location, string.Create(CultureInfo.InvariantCulture, $"has {record.Fields.Count} fields, the header has {index.Count}")));
                continue;
            }

            if (rows.Count + errors.Count >= MaxRows)
            {
                throw new ConsentFormatException(location, string.Create(CultureInfo.InvariantCulture, $"a file holds at most {MaxRows} rows; split it"));
            }

            try
            {
                rows.Add(ParseRow(location, name => index.TryGetValue(name, out var i) ? record.Fields[i].Trim() : string.Empty));
            }
            catch (ConsentFormatException e)
            {
                errors.Add(new ConsentImportError(location, e.Location.StartsWith(location, StringComparison.Ordinal) ? Describe(e, location) : e.Message));
            }
        }

        return new ConsentSourceReadResult(rows, errors);
    }

    private static string Describe(ConsentFormatException e, string location)
    {
        var field = e.Location[location.Length..].TrimStart('.', ',', ' ');

        // Name the CSV column rather than the record property the shared validator speaks of.
        field = field switch
        {
            _ when field.StartsWith("periodEnd", StringComparison.Ordinal) => "period_end",
            _ when field.StartsWith("dataTo", StringComparison.Ordinal) => "data_to",
            _ when field.StartsWith("deny[", StringComparison.Ordinal) && field.Contains(".modalities", StringComparison.Ordinal) => "deny_modalities",
            _ when field.StartsWith("deny[", StringComparison.Ordinal) && field.Contains(".bodyParts", StringComparison.Ordinal) => "deny_body_parts",
            _ when field.StartsWith("purposes", StringComparison.Ordinal) => "purposes",
            _ when field.StartsWith("actors", StringComparison.Ordinal) => "actors",
            _ => field,
        };
        return field.Length == 0 ? e.Reason : $"{field}: {e.Reason}";
    }

    private static Dictionary<string, int> ReadHeader(CsvRecord header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
            {
                // The name is not echoed: a file without a header would put a patient id here.
                throw new ConsentFormatException(
                    string.Create(CultureInfo.InvariantCulture, $"line {header.Line}, column {i + 1}"),
                    "is not a known column (is the header row missing?); columns: " + string.Join(",", Columns));
            }

            if (!index.TryAdd(name, i))
            {
                throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"line {header.Line}, column {i + 1}"), $"column {name} appears twice");
            }
        }

        foreach (var required in new[] { "patient_id", "status" })
        {
            if (!index.ContainsKey(required))
            {
                throw new ConsentFormatException($"line {header.Line}", $"the header lacks the required column {required}");
            }
        }

        return index;
    }

    private static ConsentImportRow ParseRow(string at, Func<string, string> get)
    {
        var patientId = get("patient_id");
        if (patientId.Length == 0)
        {
            throw new ConsentFormatException(at + ".patient_id", "is required");
        }

        CheckId(patientId, at + ".patient_id");
        var issuer = get("issuer");
        CheckId(issuer, at + ".issuer");
        if (!ConsentStatusCodes.TryParse(get("status").ToLowerInvariant(), out var status))
        {
            throw new ConsentFormatException(at + ".status", "must be a FHIR consent-state code: draft, proposed, active, rejected, inactive, entered-in-error");
        }

        var consentId = get("consent_id");
        if (consentId.Length > 0 && !ConsentValidator.IsSourceId(consentId))
        {
            throw new ConsentFormatException(at + ".consent_id", "must be 1 to 64 letters, digits, '-' or '.'");
        }

        var periodStart = ConsentTimes.PeriodStart(get("period_start"), at + ".period_start");
        var periodEnd = ConsentTimes.PeriodEnd(get("period_end"), at + ".period_end");
        var dataFrom = ConsentTimes.Date(get("data_from"), at + ".data_from");
        var dataTo = ConsentTimes.Date(get("data_to"), at + ".data_to");
        var purposes = List(get("purposes"), upper: true);
        var actors = List(get("actors"), upper: false).Select(a => ResearchCodes.IsObjectId(a) ? a.ToLowerInvariant() : a).ToArray();
        var deny = new List<ConsentDenyProvision>();
        deny.AddRange(List(get("deny_modalities"), upper: true).Select(m => new ConsentDenyProvision { Modalities = [m] }));
        deny.AddRange(List(get("deny_body_parts"), upper: true).Select(b => new ConsentDenyProvision { BodyParts = [b] }));
        ConsentValidator.ValidateTerms(periodStart, periodEnd, dataFrom, dataTo, purposes, actors, deny, status, at);
        return new ConsentImportRow
        {
            Location = at,
            PatientId = patientId,
            Issuer = issuer.Length == 0 ? null : issuer,
            SourceId = consentId.Length == 0 ? null : consentId,
            Status = status,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            DataFrom = dataFrom,
            DataTo = dataTo,
            Purposes = purposes,
            Actors = actors,
            Deny = deny,
        };
    }

    private static void CheckId(string value, string at)
    {
        if (value.Length > MaxIdLength || value.Any(c => char.IsControl(c) || c == '\\'))
        {
            throw new ConsentFormatException(at, string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxIdLength} characters without control characters or backslashes (DICOM LO)"));
        }
    }

    private static string[] List(string field, bool upper) =>
        field.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => upper ? v.ToUpperInvariant() : v)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static List<CsvRecord> Tokenize(string text)
    {
        var records = new List<CsvRecord>();
        var position = 0;
        var line = 1;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            position = 1;
        }

        while (position < text.Length)
        {
            var startLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? error = null;
            var quoted = false;
            var fieldStart = true;
            var endOfRecord = false;
            while (position < text.Length && !endOfRecord)
            {
                var c = text[position];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (position + 1 < text.Length && text[position + 1] == '"')
                        {
                            field.Append('"');
                            position += 2;
                            continue;
                        }

                        quoted = false;
                        position++;
                        if (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                        {
                            error ??= string.Create(CultureInfo.InvariantCulture, $"field {fields.Count + 1}: text after a closing quote");
                        }

                        continue;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                    position++;
                    continue;
                }

                switch (c)
                {
                    case '"' when fieldStart:
                        quoted = true;
                        fieldStart = false;
                        position++;
                        break;
                    case '"':
                        error ??= string.Create(CultureInfo.InvariantCulture, $"field {fields.Count + 1}: a quote inside an unquoted field (quote the whole field and double the quote)");
                        field.Append(c);
                        position++;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStart = true;
                        position++;
                        break;
                    case '\r' or '\n':
                        position += c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
                        line++;
                        endOfRecord = true;
                        break;
                    default:
                        field.Append(c);
                        fieldStart = false;
                        position++;
                        break;
                }
            }

            if (quoted)
            {
                throw new ConsentFormatException(string.Create(CultureInfo.InvariantCulture, $"line {startLine}"), "a quoted field is never closed");
            }

            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Trim().Length == 0 && error is null)
            {
                continue;
            }

            records.Add(new CsvRecord(startLine, fields, error));
        }

        return records;
    }

    private sealed record CsvRecord(int Line, List<string> Fields, string? Error);
}
