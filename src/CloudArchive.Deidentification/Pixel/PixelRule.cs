namespace CloudArchive.Deidentification;

/// <summary>
/// A burned-in-text signature in the style of CTP's DicomPixelAnonymizer: instances whose Manufacturer, Manufacturer's
/// Model Name and Rows/Columns match have the listed rectangles blanked (set to 0) in their native Pixel Data. This does
/// not detect text; it encodes knowledge of where a given device burns it in.
/// </summary>
public sealed class PixelRule
{
    /// <summary>Creates a rule.</summary>
    public PixelRule(string name, string manufacturer, string? model, int? rows, int? columns, IReadOnlyList<PixelRectangle> rectangles)
    {
        Name = name;
        Manufacturer = manufacturer;
        Model = model;
        Rows = rows;
        Columns = columns;
        Rectangles = rectangles;
    }

    /// <summary>A name for the report.</summary>
    public string Name { get; }

    /// <summary>(0008,0070) Manufacturer, compared trimmed and case-insensitively.</summary>
    public string Manufacturer { get; }

    /// <summary>(0008,1090) Manufacturer's Model Name, or null for any model.</summary>
    public string? Model { get; }

    /// <summary>(0028,0010) Rows, or null for any.</summary>
    public int? Rows { get; }

    /// <summary>(0028,0011) Columns, or null for any.</summary>
    public int? Columns { get; }

    /// <summary>The rectangles to blank in every frame.</summary>
    public IReadOnlyList<PixelRectangle> Rectangles { get; }

    /// <summary>True when the instance's signature matches this rule.</summary>
    public bool Matches(string? manufacturer, string? model, int? rows, int? columns) =>
        Same(Manufacturer, manufacturer)
        && (Model is null || Same(Model, model))
        && (Rows is null || Rows == rows)
        && (Columns is null || Columns == columns);

    private static bool Same(string expected, string? actual) =>
        actual is not null && string.Equals(expected.Trim(), actual.Trim(), StringComparison.OrdinalIgnoreCase);
}
