package org.hybridbench.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that sets {@value StageProvider#TYPE_PROPERTY} on a {@link StageProvider}
 * component: {@code @Component(service = StageProvider.class) @StageType("model.gmm.em")}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StageType {
    /** Prefix that turns the annotation name into {@code hybridbench.stage.type}. */
    String PREFIX_ = "hybridbench.";

    /** The stage type name used in pipeline files. */
    String value();
}
