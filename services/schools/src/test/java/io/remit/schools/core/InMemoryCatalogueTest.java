package io.remit.schools.core;

class InMemoryCatalogueTest extends CatalogueContract {

    @Override
    protected Catalogue newCatalogue() {
        return new InMemoryCatalogue();
    }
}
