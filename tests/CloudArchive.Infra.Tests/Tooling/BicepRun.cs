namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>What one bicep invocation printed and returned.</summary>
internal sealed record BicepRun(string Arguments, int ExitCode, string Output, string Error)
{
    /// <summary>The diagnostics bicep printed (it writes them to stderr in the default format).</summary>
    public IReadOnlyList<BicepDiagnostic> Diagnostics => BicepDiagnostic.Parse(Error);

    /// <summary>A message for a failed assertion: the command and everything it printed on stderr.</summary>
    public string Describe() => $"bicep {Arguments} exited {ExitCode}:\n{Error}";
}
