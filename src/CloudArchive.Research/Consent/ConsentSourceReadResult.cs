namespace CloudArchive.Research.Consent;

/// <summary>What a consent source (CSV file, FHIR document) yielded: the readable rows and the errors of the others.</summary>
/// <param name="Rows">Rows that parsed and validated.</param>
/// <param name="Errors">Rows or resources that did not, in source order.</param>
public sealed record ConsentSourceReadResult(IReadOnlyList<ConsentImportRow> Rows, IReadOnlyList<ConsentImportError> Errors);
