package dev.reelmark.catalog;

import dev.reelmark.testing.TestHttp;

/** The catalog tests' small studio (project, character, scene, segment), for tests in other packages. */
public final class CatalogApiTestAccess {
    private final CatalogApiTest.Studio studio;

    public CatalogApiTestAccess(TestHttp http) {
        this.studio = new CatalogApiTest.Studio(http);
    }

    public long project() {
        return studio.project;
    }

    public long character() {
        return studio.character;
    }

    public long scene() {
        return studio.scene;
    }

    public long segment() {
        return studio.segment;
    }
}
