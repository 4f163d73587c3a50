using OneMap.GraphQLApi.Hosting;

var builder = WebApplication.CreateBuilder(args);

// The embedded default listens on loopback only; a deployment sets Urls (or ASPNETCORE_URLS) explicitly.
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:5080");

builder.Services.AddOneMapApi(builder.Configuration, builder.Environment);

var app = builder.Build();

app.MapOneMapApi();

app.Run();

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;
