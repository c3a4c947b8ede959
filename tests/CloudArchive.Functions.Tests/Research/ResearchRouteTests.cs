using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The researcher API's path grammar.</summary>
public sealed class ResearchRouteTests
{
    [Theory]
    [InlineData("/agreements", ResearchRouteKind.ListAgreements, null, null, null, null)]
    [InlineData("/agreements/abc/studies", ResearchRouteKind.ListStudies, "abc", null, null, null)]
    [InlineData("/agreements/abc/studies/1.2", ResearchRouteKind.RetrieveStudy, "abc", "1.2", null, null)]
    [InlineData("/agreements/abc/studies/1.2/archive.zip", ResearchRouteKind.StudyArchive, "abc", "1.2", null, null)]
    [InlineData("/agreements/abc/studies/1.2/series", ResearchRouteKind.ListSeries, "abc", "1.2", null, null)]
    [InlineData("/agreements/abc/studies/1.2/series/1.3/instances", ResearchRouteKind.ListInstances, "abc", "1.2", "1.3", null)]
    [InlineData("/agreements/abc/studies/1.2/instances", ResearchRouteKind.ListStudyInstances, "abc", "1.2", null, null)]
    [InlineData("/agreements/abc/studies/1.2/series/1.3/instances/1.4", ResearchRouteKind.RetrieveInstance, "abc", "1.2", "1.3", "1.4")]
    public void Known_shapes_parse(string path, ResearchRouteKind kind, string? agreement, string? study, string? series, string? instance)
    {
        var route = ResearchRoute.Parse(path, out var error);

        Assert.Equal(ResearchRouteError.None, error);
        Assert.Equal(new ResearchRoute(kind, agreement, study, series, instance), route);
    }

    [Theory]
    [InlineData("/agreements/AB/studies")]
    [InlineData("/agreements/-ab/studies")]
    [InlineData("/agreements/abc/studies/1..2")]
    [InlineData("/agreements/abc/studies/1.02/series")]
    [InlineData("/agreements/abc/studies/1.2/series/../instances")]
    [InlineData("/agreements/abc/studies/1.2/series/1.3/instances/1.4.dcm")]
    [InlineData("/agreements/abc/studies/")]
    public void Malformed_identifiers_in_known_shapes_are_invalid(string path)
    {
        Assert.Null(ResearchRoute.Parse(path, out var error));
        Assert.Equal(ResearchRouteError.InvalidIdentifier, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/agreements/")]
    [InlineData("/agreements/abc")]
    [InlineData("/agreements/abc/manifest.json")]
    [InlineData("/agreements/abc/studies/1.2/frames")]
    [InlineData("/agreements/abc//studies")]
    [InlineData("/studies/1.2")]
    public void Unknown_shapes_are_not_found(string path)
    {
        Assert.Null(ResearchRoute.Parse(path, out var error));
        Assert.Equal(ResearchRouteError.NotFound, error);
    }

    [Fact]
    public void Overlong_paths_are_not_parsed()
    {
        Assert.Null(ResearchRoute.Parse("/agreements/abc/studies/" + new string('1', 2000), out var error));
        Assert.Equal(ResearchRouteError.NotFound, error);
    }
}
