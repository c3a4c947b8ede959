namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// The attribute values of one candidate entity (a study, series or instance) as the caller holds them: an index row,
/// a dataset, an aggregate. The matcher and the response writer read it and nothing else, so the same query logic
/// serves any store.
/// </summary>
public interface IQidoAttributeSource
{
    /// <summary>
    /// The values of <paramref name="attribute"/> as DICOM strings (one per value, padding removed; PN as its DICOM
    /// string with <c>=</c> between groups), an empty list when the attribute is present but empty, or null when the
    /// entity does not have it at all.
    /// </summary>
    IReadOnlyList<string>? GetValues(QidoAttribute attribute);

    /// <summary>Every attribute the entity holds (what <c>includefield=all</c> returns).</summary>
    IEnumerable<QidoAttribute> Attributes { get; }
}
