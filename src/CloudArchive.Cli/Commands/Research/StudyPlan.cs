namespace CloudArchive.Cli.Commands.Research;

/// <summary>What <c>research fetch</c> will do for one study.</summary>
/// <param name="StudyInstanceUid">The study.</param>
/// <param name="Instances">Every published instance.</param>
/// <param name="Missing">Instances not yet complete on disk.</param>
/// <param name="UseArchive">Whether to fetch the study as one ZIP (many missing files) rather than file by file.</param>
internal sealed record StudyPlan(string StudyInstanceUid, IReadOnlyList<RemoteInstance> Instances, IReadOnlyList<RemoteInstance> Missing, bool UseArchive)
{
    /// <summary>Bytes this study will transfer.</summary>
    public long TransferBytes => UseArchive ? Instances.Sum(i => i.Bytes) : Missing.Sum(i => i.Bytes);
}
