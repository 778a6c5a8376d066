La prevalencia de anemia fue del 23% en niños menores de cinco años.
Las muestras se recogieron entre 2010 y 2012.
