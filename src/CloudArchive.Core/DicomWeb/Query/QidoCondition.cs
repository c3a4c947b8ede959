using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// One matching key of a query: the attribute, the matching type and its operands. <see cref="Matches"/> applies
/// PS3.4 C.2.2.2 to an entity's values: a multi-valued attribute (ModalitiesInStudy) matches when any value does; an
/// entity without a value matches only universal matching.
/// </summary>
public sealed class QidoCondition
{
    private readonly string[] _values;

    /// <summary>Creates a condition (the parser validates the operands first).</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="kind">The matching type.</param>
    /// <param name="values">The value (single, wildcard), the values (list), or the two bounds (range; an open bound is empty).</param>
    public QidoCondition(QidoAttribute attribute, QidoMatchKind kind, IReadOnlyList<string> values)
    {
        Attribute = attribute ?? throw new ArgumentNullException(nameof(attribute));
        ArgumentNullException.ThrowIfNull(values);
        Kind = kind;
        _values = [.. values];
    }

    /// <summary>The attribute.</summary>
    public QidoAttribute Attribute { get; }

    /// <summary>The matching type.</summary>
    public QidoMatchKind Kind { get; }

    /// <summary>The operands.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Whether an entity with <paramref name="stored"/> values of the attribute (null: absent) matches.</summary>
    public bool Matches(IReadOnlyList<string>? stored)
    {
        if (Kind == QidoMatchKind.Universal)
        {
            return true;
        }

        if (stored is null || stored.Count == 0)
        {
            return false;
        }

        foreach (var value in stored)
        {
            if (MatchesOne(value))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesOne(string value)
    {
        var pn = Attribute.VR == DicomVR.PN;
        switch (Kind)
        {
            case QidoMatchKind.SingleValue:
                return string.Equals(value, _values[0], pn ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
            case QidoMatchKind.Wildcard:
                return QidoWildcard.IsMatch(value, _values[0], ignoreCase: pn);
            case QidoMatchKind.List:
                return _values.Contains(value, StringComparer.Ordinal);
            case QidoMatchKind.Range:
                var key = QidoTemporal.Normalize(Attribute.VR, value, upper: false);
                if (key is null)
                {
                    return false;
                }

                var low = _values[0].Length == 0 ? null : QidoTemporal.Normalize(Attribute.VR, _values[0], upper: false);
                var high = _values[1].Length == 0 ? null : QidoTemporal.Normalize(Attribute.VR, _values[1], upper: true);
                return (low is null || string.CompareOrdinal(key, low) >= 0) && (high is null || string.CompareOrdinal(key, high) <= 0);
            default:
                return true;
        }
    }
}
