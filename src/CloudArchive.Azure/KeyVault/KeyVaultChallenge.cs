namespace CloudArchive.Azure.KeyVault;

/// <summary>
/// A parsed <c>WWW-Authenticate: Bearer authorization="…", resource="…"[, scope="…"]</c> challenge.
/// </summary>
/// <param name="Scope">The token scope: <c>scope</c> if given, else <c>resource + "/.default"</c>.</param>
/// <param name="TenantId">The tenant taken from the last path segment of the authority, if any.</param>
internal sealed record KeyVaultChallenge(string Scope, string? TenantId)
{
    /// <summary>Parses a challenge; returns null if it is not a usable Bearer challenge.</summary>
    internal static KeyVaultChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var h = header.Trim();
        if (!h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in SplitParameters(h["Bearer ".Length..]))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim().Trim('"');
            parameters[key] = value;
        }

        string? scope = parameters.GetValueOrDefault("scope");
        if (string.IsNullOrEmpty(scope))
        {
            var resource = parameters.GetValueOrDefault("resource");
            if (string.IsNullOrEmpty(resource))
            {
                return null;
            }

            scope = resource.TrimEnd('/') + "/.default";
        }

        string? tenant = null;
        var authority = parameters.GetValueOrDefault("authorization") ?? parameters.GetValueOrDefault("authorization_uri");
        if (Uri.TryCreate(authority, UriKind.Absolute, out var authUri))
        {
            var segments = authUri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            tenant = segments.Length > 0 ? segments[0] : null;
        }

        return new KeyVaultChallenge(scope, tenant);
    }

    /// <summary>The host of the scope (for the resource check).</summary>
    internal string? ScopeHost => Uri.TryCreate(Scope.EndsWith("/.default", StringComparison.Ordinal) ? Scope[..^"/.default".Length] : Scope, UriKind.Absolute, out var u) ? u.Host : null;

    private static IEnumerable<string> SplitParameters(string text)
    {
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
