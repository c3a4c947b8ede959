using System.Text.Json;

namespace CloudArchive.Cli.Commands.Deid;

/// <summary>
/// The operator-facing summary of a run (<c>summary.json</c> in the report directory). Unlike the per-instance
/// reports it names input paths (relative to <c>--in</c>) for instances that were refused or failed, so the operator
/// can act on them; it holds no attribute values.
/// </summary>
public sealed class DeidRunSummary
{
    /// <summary>The profile name.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>The enabled options.</summary>
    public List<string> Options { get; set; } = [];

    /// <summary>Number of inputs examined.</summary>
    public int Inputs { get; set; }

    /// <summary>Number of de-identified outputs written.</summary>
    public int Deidentified { get; set; }

    /// <summary>Number of inputs refused by the pixel policy.</summary>
    public int Refused { get; set; }

    /// <summary>Number of inputs that failed.</summary>
    public int Failed { get; set; }

    /// <summary>Refused and failed inputs with their reasons.</summary>
    public List<DeidRunProblem> Problems { get; } = [];

    /// <summary>Writes the summary.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (fs.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(fs, this, DeidSummaryJsonContext.Default.DeidRunSummary, cancellationToken).ConfigureAwait(false);
        }
    }
}
