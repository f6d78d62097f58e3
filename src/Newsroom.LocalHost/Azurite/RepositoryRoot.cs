namespace Newsroom.LocalHost.Azurite;

/// <summary>The repo's top folder: where Functions.sln and package.json are.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Could not find the repository root (the folder with Functions.sln and package.json) above " + AppContext.BaseDirectory);
    }
}
