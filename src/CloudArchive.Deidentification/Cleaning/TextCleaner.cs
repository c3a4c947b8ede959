using System.Text.RegularExpressions;

namespace CloudArchive.Deidentification;

/// <summary>
/// Removes identifying content from free text: every occurrence of an <see cref="IdentifierTokens"/> token is masked
/// with asterisks, and, for the C action, also date-like strings, long digit runs (phone numbers, record numbers),
/// e-mail addresses and URLs.
/// </summary>
public static partial class TextCleaner
{
    /// <summary>Masks identifier tokens only (the residual sweep of kept values). Long tokens match anywhere,
    /// case-insensitively; short ones only as whole words.</summary>
    public static string MaskTokens(string value, IdentifierTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0 || value.Length < 2)
        {
            return value;
        }

        char[]? buffer = null;
        foreach (var t in tokens.SubstringTokens)
        {
            if (t.Length > value.Length)
            {
                continue;
            }

            var at = value.IndexOf(t, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                buffer ??= value.ToCharArray();
                Array.Fill(buffer, '*', at, t.Length);
                at = value.IndexOf(t, at + t.Length, StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var t in tokens.WordTokens)
        {
            var at = value.IndexOf(t, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                var before = at == 0 || !char.IsLetterOrDigit(value[at - 1]);
                var end = at + t.Length;
                var after = end >= value.Length || !char.IsLetterOrDigit(value[end]);
                if (before && after)
                {
                    buffer ??= value.ToCharArray();
                    Array.Fill(buffer, '*', at, t.Length);
                }

                at = value.IndexOf(t, at + 1, StringComparison.OrdinalIgnoreCase);
            }
        }

        return buffer is null ? value : new string(buffer);
    }

    /// <summary>The C action on text: tokens, dates, digit runs of 5+, phone-like groups, e-mail addresses and URLs.</summary>
    public static string Clean(string value, IdentifierTokens tokens)
    {
        var text = MaskTokens(value, tokens);
        return Sensitive().Replace(text, m => new string('*', m.Length));
    }

    /// <summary>True when <paramref name="value"/> contains any token (used to verify cleaning).</summary>
    public static bool ContainsToken(string value, IdentifierTokens tokens) => MaskTokens(value, tokens) != value;

    [GeneratedRegex(
        @"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\+?\d[\d ()-]{4,}\d|\d{5,}",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex Sensitive();
}
