namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Finds ../shared/datasets, the real order data beside the repository.</summary>
public static class DataSets
{
    public static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "datasets", relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"shared/datasets/{relativePath} was not found above {AppContext.BaseDirectory}; the data sets live beside the repository in ../shared/datasets");
    }
}
