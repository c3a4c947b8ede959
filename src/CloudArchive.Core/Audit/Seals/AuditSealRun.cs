namespace CloudArchive.Core.Audit.Seals;

/// <summary>What one sealing sweep did.</summary>
/// <param name="Outcomes">Per hour handled, in hour order.</param>
/// <param name="MoreDue">True when more closed hours wait (the run stopped at <see cref="AuditSealOptions.MaxHoursPerRun"/>).</param>
public sealed record AuditSealRun(IReadOnlyList<AuditSealOutcome> Outcomes, bool MoreDue)
{
    /// <summary>Seals written by this run.</summary>
    public int Created => Outcomes.Count(o => o.Created);

    /// <summary>Findings on existing seals met by this run.</summary>
    public IEnumerable<AuditFinding> Findings => Outcomes.SelectMany(o => o.Findings);
}
