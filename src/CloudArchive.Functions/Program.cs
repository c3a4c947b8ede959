using CloudArchive.Functions;
using CloudArchive.Functions.Composition;

var app = FunctionsApp.Build(args, IngestServiceRegistration.AddIngest);
await app.RunAsync().ConfigureAwait(false);
