using CloudArchive.Deidentification;

namespace CloudArchive.Cli.Commands.Deid;

/// <summary>One refused or failed input of a run.</summary>
/// <param name="Input">The input path relative to <c>--in</c>.</param>
/// <param name="Outcome">Refused or failed.</param>
/// <param name="Failure">The typed reason.</param>
/// <param name="Reason">The explanation (no patient data).</param>
public sealed record DeidRunProblem(string Input, InstanceOutcome Outcome, DeidFailure? Failure, string? Reason);
