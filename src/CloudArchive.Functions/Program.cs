using CloudArchive.Functions;
using CloudArchive.Functions.Composition;

var app = FunctionsApp.Build(args, builder =>
{
    IngestServiceRegistration.AddIngest(builder);
    ResearchServiceRegistration.AddResearch(builder);
    ResearchApiRegistration.AddResearchApi(builder);
});
await app.RunAsync().ConfigureAwait(false);
