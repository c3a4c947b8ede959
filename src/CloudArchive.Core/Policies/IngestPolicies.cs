using CloudArchive.Core.Minimization;
using CloudArchive.Core.Retention;

namespace CloudArchive.Core.Policies;

/// <summary>
/// The policies ingest runs with, loaded together at start-up so that a misconfigured deployment fails
/// before it takes in anything, with every problem of every file listed at once.
/// </summary>
/// <param name="Retention">The merged retention rule sets.</param>
/// <param name="Minimization">The minimization policy.</param>
public sealed record IngestPolicies(RetentionPolicy Retention, MinimizationPolicy Minimization)
{
    /// <summary>Loads and validates the configured files.</summary>
    /// <param name="retentionFiles">Retention policy files, in order (see <see cref="SplitFileList"/> for the setting format).</param>
    /// <param name="minimizationFile">The minimization policy file.</param>
    /// <param name="cancellationToken">Cancels the file reads.</param>
    /// <exception cref="PolicyValidationException">Any file is missing or invalid; lists the problems of all files (kind <c>ingest</c>).</exception>
    public static async Task<IngestPolicies> LoadAsync(IReadOnlyList<string> retentionFiles, string? minimizationFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retentionFiles);
        var errors = new List<PolicyValidationError>();
        RetentionPolicy? retention = null;
        MinimizationPolicy? minimization = null;
        try
        {
            retention = await RetentionPolicyLoader.LoadFilesAsync(retentionFiles, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        if (string.IsNullOrWhiteSpace(minimizationFile))
        {
            errors.Add(new PolicyValidationError("(configuration)", "$", "no minimization policy file was given"));
        }
        else
        {
            try
            {
                minimization = await MinimizationPolicyLoader.LoadFileAsync(minimizationFile, cancellationToken).ConfigureAwait(false);
            }
            catch (PolicyValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException("ingest", errors);
        }

        return new IngestPolicies(retention!, minimization!);
    }

    /// <summary>Splits a file-list setting (<c>a.json;b.json</c>, also ',' or newlines) into paths, resolving
    /// relative paths against <paramref name="baseDirectory"/>.</summary>
    public static IReadOnlyList<string> SplitFileList(string? setting, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (string.IsNullOrWhiteSpace(setting))
        {
            return [];
        }

        return setting
            .Split([';', ',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Path.GetFullPath(p, baseDirectory))
            .ToArray();
    }
}
