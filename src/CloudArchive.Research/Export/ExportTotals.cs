namespace CloudArchive.Research.Export;

/// <summary>What an agreement's research output holds after a run.</summary>
/// <param name="Studies">Studies present.</param>
/// <param name="Series">Series present.</param>
/// <param name="Instances">Instances present.</param>
/// <param name="Bytes">Bytes of the instances present.</param>
public sealed record ExportTotals(int Studies, int Series, long Instances, long Bytes);
